from journeykg.cli.app import main

main()
