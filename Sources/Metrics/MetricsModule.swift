/// Evaluation metrics for temporal grounding (placeholder until the first metric lands).
enum MetricsModule {}
