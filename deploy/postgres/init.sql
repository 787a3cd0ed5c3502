-- Runs once, on the first start of an empty data volume: Airflow's metadata lives beside the ledger.
CREATE DATABASE airflow;
