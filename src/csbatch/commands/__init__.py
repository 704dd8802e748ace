"""One module per `csbatch` command. `csbatch.cli` parses the arguments; a command calls one
library function, prints what it returns and maps problems to exit codes. No rule lives here."""
