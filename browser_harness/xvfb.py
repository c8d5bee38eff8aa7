"""A private X display for WebKitGTK, which has no headless mode."""

import os
import select
import subprocess
import time


class Xvfb:
    """Xvfb on the first free display number (-displayfd), stopped by its PID.

    -noreset: by default X resets when its last client leaves, which is every time a reused
    WebKitGTK session quits; a browser connecting during the reset cannot open the display.
    """

    def __init__(self):
        self.process = None
        self.display = None

    def start(self, timeout=15):
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=[write_end],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        number = self._read_display_number(read_end, timeout)
        self.display = ":" + number
        return self.display

    def _read_display_number(self, read_end, timeout):
        """Read up to the newline: Xvfb writes the number and the newline separately, and
        dies ("Cannot write display number") if the pipe is closed between the two."""
        deadline = time.monotonic() + timeout
        text = ""
        while not text.endswith("\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read_end, 32).decode() if ready else ""
            if not chunk:
                break
            text += chunk
        os.close(read_end)
        if not text.endswith("\n"):
            self.stop()
            raise RuntimeError(f"Xvfb did not report a display within {timeout} s")
        return text.strip()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
