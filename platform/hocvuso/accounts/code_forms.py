"""allauth's code forms with the digit keypad. Kept apart from forms.py, which
allauth imports while building its own forms."""

from allauth.account.forms import ConfirmLoginCodeForm, VerifyPhoneForm


class _NumericCodeMixin:
    """Phones show the digit keypad for the 6-digit SMS code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": "6"}
        )


class VerifyPhoneCodeForm(_NumericCodeMixin, VerifyPhoneForm):
    pass


class ConfirmLoginCodeDigitsForm(_NumericCodeMixin, ConfirmLoginCodeForm):
    pass
