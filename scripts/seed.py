import click


@click.command("seed")
def seed() -> None:
    """Demo data (being written)."""
    raise click.ClickException("not written yet")
