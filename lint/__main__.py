from authlint.cli.main import main

main()
