// LTI pages (hocvuso/lti): what an inline script would do, from a file,
// because the site's Content-Security-Policy runs no inline script.

// The launch page: with the whole window (the LMS opened the tool in a new
// window) the course opens here at once; inside the LMS's frame the learner
// taps "Mở khóa học", which opens a new tab where our session cookie works.
const open = document.getElementById("lti-open");
if (open && window.top === window.self) {
  window.location.replace(open.href);
}

// The deep-linking answer goes back to the LMS without a tap; the button
// stays for a browser that ran no script.
const answer = document.querySelector("form[data-lti-auto-submit]");
if (answer) {
  answer.submit();
}
