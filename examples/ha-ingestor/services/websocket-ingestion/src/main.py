"""Entry point of the websocket-ingestion service."""
import asyncio
import logging
import os

LOG = logging.getLogger("websocket-ingestion")


async def run() -> None:
    interval = float(os.environ.get("POLL_INTERVAL_SECONDS", "60"))
    LOG.info("websocket-ingestion started, polling every %.0fs", interval)
    while True:
        await asyncio.sleep(interval)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(run())
