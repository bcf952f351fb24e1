"""One LOAD_OUT from the master's and every worker's (loadkit/merge.py).

python loadtest/merge_runs.py OUT.json IN.json [IN.json …]"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.loadkit.merge import merge_runs  # noqa: E402

if __name__ == "__main__":
    out, *parts = (Path(arg) for arg in sys.argv[1:])
    runs = [json.loads(part.read_text()) for part in parts if part.exists()]
    out.write_text(json.dumps(merge_runs(runs)))
