"""The quiz engine: pure Python, no Django. Grading and the clock rules live
here so they can be tested fast and exhaustively."""
