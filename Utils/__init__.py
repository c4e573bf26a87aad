"""The toolkit's modules. Importing the package first silences dependency log lines no user can act on
(Utils.cli.QUIET_LOGGERS), before any module imports the library that would print them."""

from Utils.cli import quiet_dependency_logs as _quiet_dependency_logs

_quiet_dependency_logs()
