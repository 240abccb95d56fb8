from journeykg.cli.app import app

app()
