from authlint.main import main

main()
