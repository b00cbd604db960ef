"""The bundled local model: weights from pinned part packages, llama-server built from source."""
