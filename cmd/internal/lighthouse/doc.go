// Package lighthouse holds TestLighthouse: the sample site, built for a
// loopback origin and served with its _headers policy, scored by Google
// Lighthouse (the version .ci/package.json pins) on a phone. It has no
// code of its own.
package lighthouse
