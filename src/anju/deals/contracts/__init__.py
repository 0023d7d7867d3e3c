"""正式合同: contracts generated from the company's Word templates, title re-checks, signing, amendments.

Decision 0017 explains the choices. Templates are docxtpl Word files; the placeholders a template may
use are the ones in ``variables.py``, and the three defaults shipped with Anju are built by
``build_templates.py``.
"""
