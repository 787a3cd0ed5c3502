"""Run one DAG end to end with ``dag.test()``; executed by the Airflow venv's Python (not pytest).

    .venv-airflow/bin/python tests/airflow/run_dag.py airflow/dags/crypto_data.py 2023-06-01T11:00Z '{}'

The environment (``AIRFLOW_HOME`` with a migrated SQLite database, ``DATABASE_URL``, ...) comes
from the caller. Prints one JSON line prefixed ``RESULT`` with the run's state, its data interval,
and each task's state and XCom return value.
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

    tasks = {}
    with create_session() as session:
        for ti in session.query(TaskInstance).filter(TaskInstance.run_id == run.run_id):
            xcom = (
                session.query(XComModel)
                .filter(
                    XComModel.run_id == run.run_id,
                    XComModel.task_id == ti.task_id,
                    XComModel.key == "return_value",
                )
                .first()
            )
            value = xcom.value if xcom is not None else None
            tasks[ti.task_id] = {
                "state": str(ti.state),
                "xcom": json.loads(value) if isinstance(value, str) else value,
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
