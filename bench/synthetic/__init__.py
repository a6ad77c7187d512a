"""A clearly labelled synthetic Mongolia shaped like the 2023-24 figures (``python -m bench.synthetic``).

Every file is marked synthetic (manifest ``"synthetic": true``, a ``synthetic`` column on people), register
numbers start with Ъ (see ``register.py``) and phone numbers with 0. Deterministic for a seed.
"""

from bench.synthetic.generate import generate, planned_children

__all__ = ["generate", "planned_children"]
