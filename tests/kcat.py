"""kcat, the librdkafka command-line client, as a foreign producer in the pipeline tests.

Debian 12 ships kcat 1.7.1 on librdkafka 2.0.2, which cannot read the ApiVersions v3 answer of
the Tansu broker ("Protocol read buffer underflow for ApiVersion v3 at 274/279"), so every command
fails. librdkafka 2.16 can: the confluent-kafka wheel (requirements-dev.txt) ships it, and kcat is
then run on that library (``LD_LIBRARY_PATH`` to a ``librdkafka.so.1`` link to the wheel's copy).
A test skips (fails under CI=true) when kcat is missing or no librdkafka that works is found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tests.services import unavailable

_WORKS_FROM = (2, 1)  # the oldest librdkafka known to read Tansu's ApiVersions answer: 2.1+


def _librdkafka_version(env: dict[str, str]) -> tuple[int, ...]:
    out = subprocess.run(["kcat", "-V"], env=env, capture_output=True, text=True, timeout=10).stdout
    found = re.search(r"librdkafka (\d+)\.(\d+)", out)
    return tuple(int(x) for x in found.groups()) if found else (0,)


def kcat_env(workdir: Path) -> dict[str, str]:
    """The environment to run kcat in: the system's librdkafka if new enough, else the wheel's."""
    if shutil.which("kcat") is None:
        unavailable("kcat", "it is not on PATH (apt-get install -y kcat)")
    env = dict(os.environ)
    if _librdkafka_version(env) >= _WORKS_FROM:
        return env
    try:
        import confluent_kafka
    except ImportError:
        unavailable("kcat", "its librdkafka is older than 2.1 and the confluent-kafka wheel is missing")
    libs = sorted(
        (Path(confluent_kafka.__file__).parent.parent / "confluent_kafka.libs").glob("librdkafka*.so*")
    )
    if not libs:
        unavailable("kcat", "its librdkafka is older than 2.1 and the confluent-kafka wheel ships none")
    linked = workdir / "librdkafka"
    linked.mkdir(exist_ok=True)
    (linked / "librdkafka.so.1").unlink(missing_ok=True)
    (linked / "librdkafka.so.1").symlink_to(libs[0])
    env["LD_LIBRARY_PATH"] = f"{linked}:{env.get('LD_LIBRARY_PATH', '')}".rstrip(":")
    if _librdkafka_version(env) < _WORKS_FROM:
        unavailable("kcat", "no librdkafka 2.1 or later could be loaded for it")
    return env


def kcat_produce(
    env: dict[str, str], bootstrap: str, topic: str, lines: Sequence[bytes], *flags: str
) -> None:
    """``kcat -P`` with ``key:value`` lines (``-K:``); ``flags`` e.g. ``-z lz4`` or ``-Z``."""
    result = subprocess.run(
        ["kcat", "-b", bootstrap, "-P", "-t", topic, "-K:", *flags],
        input=b"\n".join(lines) + b"\n",
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
