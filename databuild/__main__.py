"""python -m databuild --sources ../shared/data/sources --out fixtures"""

import argparse
import sys
from pathlib import Path

import databuild


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m databuild", description=databuild.__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder of the raw CSVs")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the fixtures into")
    args = parser.parse_args(argv)
    databuild.build(args.sources, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
