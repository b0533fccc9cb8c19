/// Placeholder replaced in the next commit.
public final class Tensor {}
