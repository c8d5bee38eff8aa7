"""What the browser tests and the benchmarks share: launching Chromium, Firefox and WebKitGTK
(with the virtual display WebKitGTK needs), and the real app served on a free port with every
request to the collector counted at the WSGI layer."""
