import asyncio

await asyncio.sleep(0.01)
x = 6
x * 7
