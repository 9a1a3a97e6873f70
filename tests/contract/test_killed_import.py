"""A process killed in the middle of an import leaves the previous map intact, on every store."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from powermap.service import PowermapService
from tests.contract.test_store_contract import with_id
from tests.factories import normalized, sample_document, tiny_document

KILL_MIDWAY = textwrap.dedent(
    """
    import json, os, signal, sys
    from powermap.service import PowermapService
    from powermap.settings import Settings
    from powermap.store import open_store

    url, document = sys.argv[1], json.loads(sys.stdin.read())
    store = open_store(url, Settings(import_batch_size=20))

    def die(done, total):
        if done >= 40:  # a few batches in: the new version is half written
            print("killing", done, total, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    PowermapService(store).import_map(document, on_progress=die)
    print("import finished: the kill did not happen")
    """
)


def test_a_killed_import_leaves_the_previous_map_intact(service: PowermapService, prefix: str) -> None:
    account = prefix + "acme"
    service.import_map(with_id(tiny_document(), account))
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MIDWAY, service.store.url],
        input=json.dumps(with_id(sample_document(), account)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert "killing" in killed.stdout
    assert service.export_map(account) == normalized(with_id(tiny_document(), account))
    assert service.store.read(account).revision == 1
    # and the account takes a new import afterwards as if nothing happened
    assert service.import_map(with_id(sample_document(), account)).revision == 2
    assert service.export_map(account) == normalized(with_id(sample_document(), account))
