"""A private X display for WebKitGTK, which has no headless mode."""
import os
import select
import subprocess


class Xvfb:
    """Xvfb on the first free display number (-displayfd), stopped by its PID."""

    def __init__(self):
        self.process = None
        self.display = None

    def start(self, timeout=15):
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=[write_end], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        number = self._read_display_number(read_end, timeout)
        self.display = ":" + number
        return self.display

    def _read_display_number(self, read_end, timeout):
        ready, _, _ = select.select([read_end], [], [], timeout)
        number = os.read(read_end, 32).decode().strip() if ready else ""
        os.close(read_end)
        if not number:
            self.stop()
            raise RuntimeError(f"Xvfb did not report a display within {timeout} s")
        return number

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
