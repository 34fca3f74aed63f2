// normalize integration tests (in progress)
