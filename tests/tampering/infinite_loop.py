# Loop forever when the cell runs.
# cell: output_size
while True:
    pass
