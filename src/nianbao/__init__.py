"""nianbao (年报): the statutory annual report on government information disclosure."""

__version__ = "0.1.0"
