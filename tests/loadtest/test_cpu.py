"""Server CPU per 1,000 requests: the stack's processes with their children,
reaped ones included; the machine's busy time shows what others spent."""

from loadtest.loadkit.cpu import busy_ticks, stat_ticks, tree_ticks


def test_server_cpu_counts_children_that_have_exited():
    # pid 10 (gunicorn master, with reaped children's time), its worker 11,
    # and an unrelated process 99: /proc/<pid>/stat fields 14-17.
    line = "10 (gunicorn: master) S 1 " + " ".join(["0"] * 9) + " 5 6 7 8 20 0"
    assert stat_ticks(line) == (1, 26)
    assert stat_ticks("11 (a ) b) S 10 " + " ".join(["0"] * 9) + " 1 1 0 0") == (10, 2)
    table = {10: (1, 26), 11: (10, 2), 12: (11, 3), 99: (1, 1000)}
    assert tree_ticks([10], table) == 31
    assert tree_ticks([10, 4242], table) == 31  # a root that has gone


def test_machine_busy_time_leaves_out_idle_and_iowait():
    assert busy_ticks("cpu  10 1 5 900 40 2 3 4 0 0\ncpu0 1 1 1 1 1 1 1 1\n") == 25
