"""Decoder language models (``task: text-generation``): definition, model files, export, proof.

``definition`` is the schema of the definition's ``generation`` block; ``source`` reads, checks
and loads the model files; ``architectures`` maps each exportable family onto ExecuTorch's llama
Transformer; ``plan`` resolves a definition into what every later stage reads; ``evaluate``
measures artifacts against eager PyTorch; ``build`` runs the stages.
"""
