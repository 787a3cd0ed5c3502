"""Market data: sources, the Kafka producer and consumer, and the order matcher."""
