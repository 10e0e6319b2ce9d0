"""The shared summarizer core: arXiv references and metadata in, validated Chinese summaries out."""
