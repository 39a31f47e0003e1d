"""compliance_engine.spark in Spark local mode, compared with the serial checker."""
