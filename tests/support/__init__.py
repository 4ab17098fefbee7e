"""Helpers the tests import (conftest modules hold fixtures only); data builders are in
tests/factories.py."""
