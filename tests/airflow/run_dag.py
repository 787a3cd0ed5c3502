"""Run one DAG end to end with ``dag.test()``; executed by the Airflow venv's Python (not pytest).

    .venv-airflow/bin/python tests/airflow/run_dag.py airflow/dags/crypto_data.py 2023-06-01T11:00Z '{}'

The environment (``AIRFLOW_HOME`` with a migrated SQLite database, ``DATABASE_URL``, ...) comes
from the caller. Prints one JSON line prefixed ``RESULT`` with the run's state, its data interval,
and each task's state and XCom return value. A mapped task (dynamic task mapping) has ``state``
``success`` when every mapped instance succeeded, and ``mapped``: each instance's state and XCom in
map index order (no instance at all: ``state`` ``skipped``... as Airflow recorded it).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime


def main(path: str, logical_date: str, conf: str) -> int:
    spec = importlib.util.spec_from_file_location("dag_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dag = module.DAG
    run = dag.test(logical_date=datetime.fromisoformat(logical_date), run_conf=json.loads(conf))

    from airflow.models.taskinstance import TaskInstance
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    tasks: dict[str, dict[str, object]] = {}
    mapped: dict[str, list[tuple[int, dict[str, object]]]] = {}
    with create_session() as session:
        for ti in session.query(TaskInstance).filter(TaskInstance.run_id == run.run_id):
            xcom = (
                session.query(XComModel)
                .filter(
                    XComModel.run_id == run.run_id,
                    XComModel.task_id == ti.task_id,
                    XComModel.map_index == ti.map_index,
                    XComModel.key == "return_value",
                )
                .first()
            )
            value = xcom.value if xcom is not None else None
            entry: dict[str, object] = {
                "state": str(ti.state),
                "xcom": json.loads(value) if isinstance(value, str) else value,
            }
            if ti.map_index is None or ti.map_index < 0:
                tasks[ti.task_id] = entry
            else:
                mapped.setdefault(ti.task_id, []).append((ti.map_index, entry))
    for task_id, entries in mapped.items():
        states = {e["state"] for _, e in entries}
        tasks[task_id] = {
            "state": states.pop() if len(states) == 1 else "mixed",
            "mapped": [e for _, e in sorted(entries, key=lambda pair: pair[0])],
        }
    result = {
        "dag_id": dag.dag_id,
        "state": str(run.state),
        "data_interval_start": run.data_interval_start.isoformat(),
        "data_interval_end": run.data_interval_end.isoformat(),
        "tasks": tasks,
    }
    print("RESULT " + json.dumps(result, default=str))
    return 0 if str(run.state) == "success" else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
