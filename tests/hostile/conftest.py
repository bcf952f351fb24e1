from tests.hocvuso.conftest import org_tree  # noqa: F401  (the shared tree)
