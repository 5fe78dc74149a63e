"""The vector engine: encoders, the embedding cache, passages, exact and quantized scans."""
