#compdef lute
# zsh completion for lute; load it with:  source <(lute completion zsh)   (after compinit)
# The candidates come from lute itself ([suggest] directive of System.CommandLine); compadd quotes each one for the
# shell, and nothing lute prints is ever evaluated.
_lute() {
    local program="${words[1]}" before="${BUFFER[1,CURSOR]}"
    local -a candidates
    before="lute${before#"$program"}"
    candidates=("${(@f)$(command "$program" "[suggest:${#before}]" "$before" 2>/dev/null)}")
    candidates=("${(@)candidates:#}")
    (( ${#candidates} )) && compadd -- "${candidates[@]}"
}
compdef _lute lute
