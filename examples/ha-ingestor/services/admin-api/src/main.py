"""Entry point of the admin-api service."""
import asyncio
import logging
import os

LOG = logging.getLogger("admin-api")


async def run() -> None:
    interval = float(os.environ.get("POLL_INTERVAL_SECONDS", "60"))
    LOG.info("admin-api started, polling every %.0fs", interval)
    while True:
        await asyncio.sleep(interval)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
