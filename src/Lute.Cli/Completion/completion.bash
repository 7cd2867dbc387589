# bash completion for lute; load it with:  source <(lute completion bash)
# The candidates come from lute itself ([suggest] directive of System.CommandLine); each is inserted quoted for the
# shell (printf %q), and nothing lute prints is ever evaluated.
_lute_complete() {
    local program="${COMP_WORDS[0]}" before="${COMP_LINE:0:COMP_POINT}" candidate quoted
    before="lute${before#"$program"}"
    COMPREPLY=()
    while IFS= read -r candidate; do
        [ -n "$candidate" ] || continue
        printf -v quoted '%q' "$candidate"
        COMPREPLY+=("$quoted")
    done < <(command "$program" "[suggest:${#before}]" "$before" 2>/dev/null)
}
complete -o default -F _lute_complete lute
