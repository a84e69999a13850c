"""The building blocks the stages use, each of which knows nothing of a site's model:
diagnostics, reading text and YAML with their lines, addresses, the build's moment, the
cache, parallel work, writing the output, the Markdown dialect, cleaning HTML, images,
iCalendar, the world map and Uzbek orthography. Nothing here imports a stage."""
