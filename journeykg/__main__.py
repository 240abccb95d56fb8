from journeykg.cli import app

app()
