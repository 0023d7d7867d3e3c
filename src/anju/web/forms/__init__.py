"""The pages' forms, one module per domain; ``base`` holds what every form shares (decision 0013)."""
