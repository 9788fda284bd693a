"""Stand-ins for the trainer frameworks, written from their source (not copied), so the adapters are
tested against the calls, types and order of the version read, without the frameworks installed.
Each module names the upstream repository, file and commit it was written from."""
