// Top-k selection: higher score first, on equal scores the lower row first.
// Rows are uints; NONE marks an empty slot, which loses to every row.
#define MAX_TOP_K 64
#define NONE 0xffffffffu
bool better(float s, uint i, float t, uint j) {
    if (i == NONE || j == NONE) return j == NONE && i != NONE;
    return s > t || (s == t && i < j);
}
float top_s[MAX_TOP_K];
uint top_i[MAX_TOP_K];
uint len = 0;
void keep_best(uint k, float s, uint i) {
    if (len == k && !better(s, i, top_s[k - 1], top_i[k - 1])) return;
    uint at = len < k ? len++ : k - 1;
    while (at > 0 && better(s, i, top_s[at - 1], top_i[at - 1])) {
        top_s[at] = top_s[at - 1];
        top_i[at] = top_i[at - 1];
        --at;
    }
    top_s[at] = s;
    top_i[at] = i;
}
