-- One database per service, each named after it: what postgres_env() in
-- shared/eventstore/settings.py defaults <SERVICE>_POSTGRES_DBNAME to.
-- Run by the postgres image on first start only (an empty data volume); the
-- services create their own tables. tests/test_deployment.py checks the names.
CREATE DATABASE intake;
CREATE DATABASE programmes;
CREATE DATABASE release;
