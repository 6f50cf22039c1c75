# bash completion for the SustainML tools: flags from each tool's --help, ids from --list.
_sml_complete() {
  local cur prev tool
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  tool=${COMP_WORDS[0]}
  case "$prev" in
    --device|--train-device) COMPREPLY=($(compgen -W "$(sml-estimate --list devices 2>/dev/null | cut -f1)" -- "$cur")); return ;;
    --region) COMPREPLY=($(compgen -W "$(sml-estimate --list regions 2>/dev/null | cut -f1)" -- "$cur")); return ;;
    --precision) COMPREPLY=($(compgen -W "fp32 tf32 fp16 bf16 int8" -- "$cur")); return ;;
    --dataflow) COMPREPLY=($(compgen -W "os ws is" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "yaml json markdown csv scalesim" -- "$cur")); return ;;
    --list) COMPREPLY=($(compgen -W "ops devices regions models tasks archs cores" -- "$cur")); return ;;
    --arch) COMPREPLY=($(compgen -W "$(sml-compose --list archs 2>/dev/null | cut -f1)" -- "$cur")); return ;;
    --replace-head) COMPREPLY=($(compgen -W "classifier regression_head token_head pooler ctc_head ssdlite_head fcn_head lraspp_head" -- "$cur")); return ;;
    --weights) COMPREPLY=($(compgen -W "random zeros from:" -- "$cur")); return ;;
    -o|--output|-f|--file|--baseline|--junit|--accel|--emit-hwprofile|--data) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$("$tool" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _sml_complete sml-estimate sml-describe sml-suggest sml-accelsim sml-compose
