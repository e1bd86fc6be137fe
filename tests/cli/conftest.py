"""`run(*args)`: the CLI on the test's collection at a fixed time; `json_out=True` parses stdout."""

import json

import pytest
from click.testing import CliRunner

from studyterm.cli import cli

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture
def run(collection_root):
    runner = CliRunner()

    def invoke(*args, now=NOW, json_out=False):
        result = runner.invoke(cli, ["--collection", str(collection_root), "--now", now, *args])
        if json_out:
            assert result.exit_code == 0, result.output
            return json.loads(result.stdout)
        return result

    return invoke
