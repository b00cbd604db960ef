"""The bundled local model: weights from pinned part packages, llama.cpp's server built from source."""
