"""Export the report JSON Schema to docs/report-schema.json: `python -m agent.report.schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agent.report.models import SCHEMA_VERSION, Report
from agent.system.fsutil import atomic_write_text

DEFAULT_PATH = Path("docs/report-schema.json")


def schema_text() -> str:
    """The JSON Schema of Report (serialization mode), as stable, indented JSON."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$id"] = f"agent-status-report-v{SCHEMA_VERSION}"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    """Write the schema to the path given, or docs/report-schema.json."""
    path = Path(argv[0]) if argv else DEFAULT_PATH
    atomic_write_text(path, schema_text())
    sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
