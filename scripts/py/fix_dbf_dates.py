# Run by scripts/make-fixtures (was an embedded heredoc); arguments as passed there.
import sys
for path in sys.argv[1:]:
    with open(path, "r+b") as f:
        f.seek(1)
        f.write(bytes([125, 1, 1]))
