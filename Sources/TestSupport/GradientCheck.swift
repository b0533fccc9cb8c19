// Gradient checking helpers.
