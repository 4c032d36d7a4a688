# Run the in-guest tests named in kes.args (TAP on the console).
exec kes-tests "$@"
