"""Care's tests reach a closed deal as processing's tests do (its specialist plans the deal)."""

from tests.processing.conftest import specialist

__all__ = ["specialist"]
