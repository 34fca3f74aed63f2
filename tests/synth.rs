// synth integration tests (in progress)
